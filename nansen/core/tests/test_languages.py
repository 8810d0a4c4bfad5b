from django.urls import reverse


def test_arabic_pages_are_right_to_left(client, personas):
    client.force_login(personas.clerk)
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    page = client.get(reverse("procedures:dashboard")).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "لوحة" in page  # the dashboard's title, translated


def test_japanese_pages_are_left_to_right_and_translated(client, personas):
    client.force_login(personas.clerk)
    client.post(reverse("set_language"), {"language": "ja", "next": "/"})
    page = client.get(reverse("registration:case_register")).content.decode()
    assert '<html lang="ja" dir="ltr">' in page
    assert "家族" in page  # "Register a family"
