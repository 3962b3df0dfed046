"""What an operator configures: delivery.yaml, brand.yaml, BRIEF_SMTP_* settings, cron, addresses.

What other packages import from this one; each name loads its module on first use
(docs/architecture.md, "Layers and the import rule").
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "addresses": ["AddressError", "Mailbox", "parse_mailbox"],
        "cron": [
            "CronSpec",
            "SCHEDULABLE_FROM",
            "SCHEDULABLE_UNTIL",
            "fires_between",
            "load_zone",
            "next_fires",
            "parse_cron",
        ],
        "brand": ["BRAND_FILE", "load_brand", "parse_brand", "read_brand"],
        "brand_values": [
            "CITATION_FIELDS",
            "DEFAULT_PALETTE",
            "NUMBER_FIELDS",
            "PARTS",
            "SHIPPED_FONTS",
            "Brand",
            "Logo",
        ],
        "loader": ["Delivery", "closest", "load_delivery", "resolve_delivery"],
        "model": ["ALERT_EVENTS", "Alerts", "DeliveryConfig", "History", "Schedule", "Selection"],
        "portfolio": ["PORTFOLIO_FILE", "load_portfolio", "parse_portfolio", "read_portfolio"],
        "smtp": ["ENV_VARS", "SmtpSettings", "smtp_from_env"],
        "subject": ["header_text", "render_subject"],
    },
)
