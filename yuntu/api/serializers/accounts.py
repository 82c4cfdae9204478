from rest_framework import serializers


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, help_text="用户名或手机号")
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"},
                                     write_only=True)
    otp_token = serializers.CharField(max_length=6, required=False, allow_blank=True, write_only=True,
                                      help_text="已启用动态验证码的账号必填：验证器应用显示的6位数字")


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="请求时放在 Authorization: Token <token> 头中")


class RoleSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class GrantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.CharField()
    role_label = serializers.CharField()
    org = serializers.IntegerField()
    org_name = serializers.CharField(allow_null=True, help_text="无权查看组织时为 null")
    granted_at = serializers.DateTimeField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    mobile_masked = serializers.CharField()
    is_superuser = serializers.BooleanField()
    roles = RoleSerializer(many=True)
    grants = GrantSerializer(many=True)
    permissions = serializers.ListField(child=serializers.CharField(), help_text="在任一组织上拥有的权限代码")
