from django.urls import path

from applications.views import applications, comments, queue, review, steps

urlpatterns = [
    path("my/", applications.dashboard, name="dashboard"),
    path(
        "programmes/<slug:slug>/apply/",
        applications.application_start,
        name="application_start",
    ),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path("applications/<int:pk>/steps/<slug:key>/", steps.step_detail, name="step_detail"),
    path(
        "applications/<int:pk>/steps/<slug:key>/autosave/",
        steps.step_autosave,
        name="step_autosave",
    ),
    path(
        "applications/<int:pk>/steps/<slug:key>/comments/",
        comments.comment_create,
        name="comment_create",
    ),
    path(
        "applications/<int:pk>/comments/<int:comment_pk>/resolve/",
        comments.comment_resolve,
        name="comment_resolve",
    ),
    path(
        "applications/<int:pk>/actions/<str:name>/",
        review.application_transition,
        name="application_transition",
    ),
    path("queue/", queue.queue, name="queue"),
]
