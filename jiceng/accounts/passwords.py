import re

from django.core.exceptions import ValidationError

CLASSES = [("小写字母", r"[a-z]"), ("大写字母", r"[A-Z]"), ("数字", r"[0-9]"), ("符号", r"[^A-Za-z0-9]")]


class CharacterClassValidator:
    """At least three of: lower case, upper case, digits, symbols (等保 level 2-3 password complexity)."""

    required = 3

    def validate(self, password, user=None):
        if sum(bool(re.search(pattern, password)) for _, pattern in CLASSES) < self.required:
            raise ValidationError(
                "密码须包含小写字母、大写字母、数字、符号中的至少三类。"
                " / The password must mix at least three of: lower case, upper case, digits, symbols.",
                code="password_too_simple",
            )

    def get_help_text(self):
        return "密码须包含小写字母、大写字母、数字、符号中的至少三类。"
