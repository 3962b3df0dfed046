"""What an operator configures: delivery.yaml, the BRIEF_SMTP_* settings, cron, addresses.

The names below are what the rest of the code imports from this package. Each is
imported from its module on first use, so that using one does not load the
libraries of the others (a build with nothing to do stays free of pydantic).
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "addresses": ["AddressError", "Mailbox", "parse_mailbox"],
        "cron": ["CronSpec", "fires_between", "load_zone", "next_fires", "parse_cron"],
        "loader": ["Delivery", "closest", "load_delivery"],
        "model": ["DeliveryConfig", "Schedule", "Selection"],
        "smtp": ["ENV_VARS", "SmtpSettings", "smtp_from_env"],
        "subject": ["header_text", "render_subject"],
    },
)
