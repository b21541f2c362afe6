from django.urls import path

from rrp.organisations import views

app_name = "organisations"
urlpatterns = [
    path("wards/", views.ward_list, name="wards"),
    path("wards/add/", views.ward_add, name="ward-add"),
    path("wards/<str:code>/", views.ward_detail, name="ward"),
    path("bed-days/", views.bed_days, name="bed-days"),
    path("bed-days/import/", views.bed_days_import, name="bed-days-import"),
    path("people/", views.member_list, name="members"),
    path("people/add/", views.member_add, name="member-add"),
]
