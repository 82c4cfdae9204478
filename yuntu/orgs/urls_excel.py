app_name = "excel"
urlpatterns: list = []
