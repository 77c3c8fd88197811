"""The pages a government site owes its users: the privacy statement (what is stored, for how
long, whose rights; the terms are the running settings, not a copy of them), the accessibility
statement and the contact/about page. Linked from every page's footer."""

from fastapi import APIRouter, Request

from stelsel.config import get_settings
from stelsel.web.pages import render
from stelsel.web.sessies import MAX_SECONDEN

router = APIRouter(include_in_schema=False)


@router.get("/privacy")
def privacy(request: Request):
    s = get_settings()
    return render(
        request,
        "wegwijzer/privacy.html",
        {
            "menu": None,
            "bewaartermijn": s.bewaartermijn_dagen,
            "extra": s.bewaartermijn_extra_dagen,
            "link_dagen": s.link_geldig_dagen,
            "werkdagen": s.eerste_contact_werkdagen,
            "sessie_uren": MAX_SECONDEN // 3600,
            "contact": s.mail_afzender,
        },
    )


@router.get("/toegankelijkheid")
def toegankelijkheid(request: Request):
    return render(
        request,
        "wegwijzer/toegankelijkheid.html",
        {"menu": None, "contact": get_settings().mail_afzender},
    )


@router.get("/contact")
def contact(request: Request):
    return render(
        request, "wegwijzer/contact.html", {"menu": None, "contact": get_settings().mail_afzender}
    )
