"""云图 Yuntu: party-building-led grassroots governance."""
