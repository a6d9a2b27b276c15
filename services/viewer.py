from dataclasses import dataclass

SELLING_ROLES = frozenset({"GLOBAL_ADMIN", "ADMIN_AGENT", "SALES_AGENT"})
READ_ONLY_PARTNER_ROLES = frozenset({"HELPDESK_AGENT", "BILLING_ADMIN"})
PARTNER_ROLES = SELLING_ROLES | READ_ONLY_PARTNER_ROLES
WEBHOOK_ROLES = frozenset({"GLOBAL_ADMIN", "ADMIN_AGENT"})


@dataclass(frozen=True)
class Viewer:
    """The authenticated principal a request acts for."""

    principal_id: int
    name: str
    role: str
    partner_id: int | None
    customer_id: int | None
    key_id: str = ""  # the API key the request came with; rate limits are per key

    def rules_shape(self) -> "Viewer":
        """The viewer as rules read it: its role, partner and customer. Statements built once
        for it serve every principal and key of that shape, and the caches of built statements
        stay as small as the shapes; who acts (the activity record's actor) is bound per call."""
        return Viewer(0, "", self.role, self.partner_id, self.customer_id)
