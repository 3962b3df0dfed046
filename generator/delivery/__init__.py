"""brief send: plan each message, record it in the ledger, compose it and speak SMTP.

What other packages import from this one; each name loads its module on first use
(docs/architecture.md, "Layers and the import rule").
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submodules=["ledger", "outbox", "sender"],
    submod_attrs={
        "doctor": ["run_checks"],
        "sender": ["Deferral", "MessageResult", "SendReport"],
        "transport": ["SmtpTransport"],
    },
)
