"""Comments on a step: officers and members talk about the answers, per question or in general."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications import services
from applications.models import Comment
from applications.pages import get_application, get_step, step_context
from applications.step_forms import CommentForm
from core.exceptions import InvalidTransition
from core.web import error_message


@login_required
@require_POST
def comment_create(request, pk, key):
    application = get_application(request, pk)
    step = get_step(application, key)
    form = CommentForm(request.POST)
    question_key = request.POST.get("question_key", "")
    anchor = f"#thread-{question_key or 'general'}"
    if form.is_valid():
        try:
            services.comment_create(
                step=step,
                actor=request.user,
                body=form.cleaned_data["body"],
                question_key=form.cleaned_data["question_key"],
            )
        except ValidationError as error:
            for messages_ in error.message_dict.values():
                for message in messages_:
                    form.add_error("body", message)
        except PermissionDenied as error:
            raise PermissionDenied(error_message(error)) from error
        except InvalidTransition as error:
            form.add_error("body", error.message)
    here = reverse("step_detail", kwargs={"pk": application.pk, "key": step.key}) + anchor
    if request.htmx:
        context = step_context(request, application, step)
        if question_key:
            item = next((i for i in context["items"] if i["bound"].key == question_key), None)
            comments = item["comments"] if item else []
        else:
            comments = context["general_comments"]
        context.update(
            {
                "comments": comments,
                "question_key": question_key,
                "comment_form": form if form.errors else CommentForm(),
            }
        )
        return render(request, "applications/_comment_thread.html", context)
    if form.errors:
        for message in form.errors.get("body", []):
            messages.error(request, message)
    else:
        messages.success(request, _("Your comment is added."))
    return redirect(here)


@login_required
@require_POST
def comment_resolve(request, pk, comment_pk):
    application = get_application(request, pk)
    comment = get_object_or_404(
        Comment.objects.select_related("step"), pk=comment_pk, step__application=application
    )
    try:
        services.comment_resolve(comment=comment, actor=request.user)
    except PermissionDenied as error:
        raise PermissionDenied(error_message(error)) from error
    except InvalidTransition as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The comment is marked as resolved."))
    anchor = f"#thread-{comment.question_key or 'general'}"
    return redirect(
        reverse("step_detail", kwargs={"pk": application.pk, "key": comment.step.key}) + anchor
    )
