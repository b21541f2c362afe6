from django.urls import path

from rrp.patients import views

app_name = "patients"
urlpatterns = [
    path("", views.patient_list, name="list"),
    path("add/", views.patient_add, name="add"),
    path("<int:pk>/", views.patient_detail, name="detail"),
    path("<int:pk>/change/", views.patient_edit, name="edit"),
    path("<int:pk>/admissions/add/", views.admission_add, name="admission-add"),
]
