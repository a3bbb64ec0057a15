"""The admin's import pages (interviews, tags): upload, check, then Import or Cancel.

Each app's admin gives ``import_page`` its own import; this module is the page they share. The
checked file waits on the server (ufm/pending_imports.py) and the session holds only its token,
so nothing of the file (words, codes, even its name) is ever in the session table.
"""

from __future__ import annotations

from collections.abc import Callable

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

# Each kind's run(text, file name, dry_run) -> ImportResult, raising ImportFailed.
Run = Callable[[str, str, bool], ImportResult]

CHOOSE_AGAIN = (
    "Please choose the file again: a checked file waits an hour for Import, and is removed "
    "when a participant withdraws."
)


class ImportForm(forms.Form):
    """The file to check, refused unread when it is over IMPORT_MAX_MEGABYTES."""

    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 CSV, as exported here or saved from a spreadsheet as “CSV UTF-8”.",
        error_messages={"required": "Choose the file to check."},
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


def import_page(model_admin, request: HttpRequest, *, kind: str, title: str, run: Run):
    """Upload → dry run shown as a preview → "Import" saves the very file checked (checked
    again, whole, as it is saved) or "Cancel" removes it. The caller has checked who may."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    key = f"import_{kind}"
    token = request.session.get(key)
    if request.method == "POST" and ("confirm" in request.POST or "cancel" in request.POST):
        return _confirm_or_cancel(model_admin, request, key=key, kind=kind, title=title, run=run)

    form = ImportForm()
    failed = result = pending = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            # A new file replaces the one waiting, whether or not it passes.
            pending_import_discard(token=token)
            request.session.pop(key, None)
            try:
                text = decode(upload.read())
                result = run(text, upload.name, True)
            except ImportFailed as error:
                failed = error
            else:
                request.session[key] = pending_import_save(
                    user=request.user, kind=kind, name=upload.name, text=text
                )
                pending = {"name": upload.name}
    return _render(
        model_admin,
        request,
        kind=kind,
        title=title,
        form=form,
        failed=failed,
        result=result,
        pending=pending,
    )


def _confirm_or_cancel(
    model_admin, request: HttpRequest, *, key: str, kind: str, title: str, run: Run
) -> HttpResponse:
    token = request.session.pop(key, None)
    pending = pending_import_read(token=token, user=request.user, kind=kind)
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
        result = run(pending.text, pending.name, False)
    except ImportFailed as failed:
        return _render(
            model_admin,
            request,
            kind=kind,
            title=title,
            form=ImportForm(),
            failed=failed,
            result=None,
            pending=None,
        )
    model_admin.message_user(request, f"Imported {pending.name}: {result.rows} row(s).")
    return HttpResponseRedirect(request.path)


def _render(
    model_admin, request, *, kind, title, form, failed, result, pending
) -> TemplateResponse:
    return TemplateResponse(
        request,
        "admin/import.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "kind": kind,
            "form": form,
            "problems": [str(p) for p in failed.problems] if failed else [],
            "more_problems": failed.more if failed else "",
            "result": result,
            "pending": pending,
            "opts": model_admin.model._meta,
        },
    )
