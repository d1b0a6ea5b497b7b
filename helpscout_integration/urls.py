"""URL patterns of the app; the host includes them under a prefix (namespace `helpscout`)."""

app_name = "helpscout"

urlpatterns: list = []
