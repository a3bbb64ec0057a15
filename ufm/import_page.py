"""The admin's upload pages (interviews, tags, an evaluation's workbook): check, then Import or
Cancel.

``upload_page`` is the flow they share; each app's admin gives it the steps of its own kind
(``UploadSteps``), and ``import_page`` makes those of a CSV import. The checked file waits on
the server (ufm/pending_imports.py) and the session holds only its token, so nothing of the file
(words, codes, even its name) is ever in the session table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse

from ufm.import_rows import FileTooLarge, ImportFailed, ImportResult, decode, size_check
from ufm.pending_imports import (
    pending_import_discard,
    pending_import_read,
    pending_import_save,
)

# Each CSV kind's run(text, file name, dry_run) -> ImportResult, raising ImportFailed.
Run = Callable[[str, str, bool], ImportResult]

CHOOSE_FILE = "Choose the file to check."
CHOOSE_AGAIN = (
    "Please choose the file again: a checked file waits an hour for Import, and is removed "
    "when a participant withdraws."
)


class Refused(Exception):
    """A file the page will not import, as the page lists it: each problem (the first ones of
    a long list) and ``more``, such as "and 12 more problems", when not all are listed."""

    def __init__(self, problems: list[str], more: str = "") -> None:
        self.problems = problems
        self.more = more
        super().__init__(f"{len(problems)} problem(s) {more}")


@dataclass(frozen=True)
class UploadSteps:
    """One kind of upload as ``upload_page`` runs it. ``check`` is the dry run of a file's
    bytes (and name): what the preview shows, as template context; ``save`` imports the file
    checked (checking it again, whole, as it is saved): the success message. Both raise
    Refused. ``form`` has the ``file`` field, refusing a file too large to read."""

    kind: str
    title: str
    template: str
    form: type[forms.Form]
    check: Callable[[bytes, str], dict]
    save: Callable[[bytes, str], str]
    # More for the template, such as which evaluation the file is of.
    context: dict = field(default_factory=dict)


class ImportForm(forms.Form):
    """The CSV file to check, refused unread when it is over IMPORT_MAX_MEGABYTES."""

    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 CSV, as exported here or saved from a spreadsheet as “CSV UTF-8”.",
        error_messages={"required": CHOOSE_FILE},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text += f" At most {settings.IMPORT_MAX_MEGABYTES:,} MB."

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            size_check(upload.size)
        except FileTooLarge as error:
            raise forms.ValidationError(error.message) from error
        return upload


def import_page(
    model_admin,
    request: HttpRequest,
    *,
    kind: str,
    title: str,
    run: Run,
    context: dict | None = None,
):
    """The upload page of a CSV import (interviews, tags). The caller has checked who may;
    ``context`` is more for the template."""

    def dry_run(data: bytes, name: str) -> dict:
        return {"result": _run_csv(run, data, name, dry_run=True)}

    def save(data: bytes, name: str) -> str:
        result = _run_csv(run, data, name, dry_run=False)
        return f"Imported {name}: {result.rows} row(s)."

    steps = UploadSteps(
        kind=kind,
        title=title,
        template="admin/import.html",
        form=ImportForm,
        check=dry_run,
        save=save,
        context=context or {},
    )
    return upload_page(model_admin, request, steps)


def _run_csv(run: Run, data: bytes, name: str, *, dry_run: bool) -> ImportResult:
    try:
        return run(decode(data), name, dry_run)
    except ImportFailed as failed:
        raise Refused([str(p) for p in failed.problems], failed.more) from failed


def upload_page(model_admin, request: HttpRequest, steps: UploadSteps):
    """Upload → dry run shown as a preview → "Import" saves the very file checked or "Cancel"
    removes it. The caller has checked who may."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    key = f"import_{steps.kind}"
    if request.method == "POST" and ("confirm" in request.POST or "cancel" in request.POST):
        return _confirm_or_cancel(model_admin, request, key=key, steps=steps)

    form = steps.form()
    refused = preview = pending = None
    if request.method == "POST":
        form = steps.form(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            # A new file replaces the one waiting, whether or not it passes.
            pending_import_discard(token=request.session.pop(key, None))
            data = upload.read()
            try:
                preview = steps.check(data, upload.name)
            except Refused as error:
                refused = error
            else:
                request.session[key] = pending_import_save(
                    user=request.user, kind=steps.kind, name=upload.name, data=data
                )
                pending = {"name": upload.name}
    return _render(
        model_admin, request, steps, form=form, refused=refused, preview=preview, pending=pending
    )


def _confirm_or_cancel(
    model_admin, request: HttpRequest, *, key: str, steps: UploadSteps
) -> HttpResponse:
    token = request.session.pop(key, None)
    pending = pending_import_read(token=token, user=request.user, kind=steps.kind)
    # Either way the file is done with: imported, refused (it is to be corrected), or cancelled.
    pending_import_discard(token=token)
    if "cancel" in request.POST:
        model_admin.message_user(
            request, "Cancelled: nothing was imported, and the checked file was removed."
        )
        return HttpResponseRedirect(request.path)
    if pending is None:
        model_admin.message_user(request, CHOOSE_AGAIN, messages.WARNING)
        return HttpResponseRedirect(request.path)
    try:
        done = steps.save(pending.data, pending.name)
    except Refused as refused:
        return _render(
            model_admin, request, steps, form=steps.form(), refused=refused, preview=None
        )
    model_admin.message_user(request, done)
    return HttpResponseRedirect(request.path)


def _render(
    model_admin,
    request: HttpRequest,
    steps: UploadSteps,
    *,
    form: forms.Form,
    refused: Refused | None,
    preview: dict | None,
    pending: dict | None = None,
) -> TemplateResponse:
    return TemplateResponse(
        request,
        steps.template,
        {
            **model_admin.admin_site.each_context(request),
            **steps.context,
            **(preview or {}),
            "title": steps.title,
            "kind": steps.kind,
            "form": form,
            "problems": refused.problems if refused else [],
            "more_problems": refused.more if refused else "",
            "pending": pending,
            "opts": model_admin.model._meta,
        },
    )
