app_name = "organization"
urlpatterns = []
