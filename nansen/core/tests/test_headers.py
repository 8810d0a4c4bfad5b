from django.urls import reverse


def test_pages_carry_a_strict_content_security_policy(client, personas):
    client.force_login(personas.clerk)
    response = client.get(reverse("procedures:dashboard"))
    policy = response["Content-Security-Policy"]
    for directive in (
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "default-src 'self'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" in response["Cache-Control"]


def test_no_page_template_contains_inline_script():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for template in root.glob("**/templates/**/*.html"):
        text = template.read_text()
        for marker in ("<script>", "onclick=", "onchange=", "onsubmit=", "javascript:", "hx-on"):
            if marker in text:
                offenders.append(f"{template.relative_to(root)}: {marker}")
    assert offenders == []
