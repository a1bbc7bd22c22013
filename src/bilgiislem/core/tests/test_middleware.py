def test_turkish_is_the_default_whatever_the_browser_asks(client):
    response = client.get("/hesap/giris/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "tr"
    assert 'lang="tr"' in response.content.decode()


def test_a_chosen_language_is_kept(client):
    client.cookies["django_language"] = "en"
    response = client.get("/hesap/giris/")
    assert response["Content-Language"] == "en"


def test_an_unknown_language_cookie_falls_back_to_turkish(client):
    client.cookies["django_language"] = "xx"
    assert client.get("/hesap/giris/")["Content-Language"] == "tr"


def test_every_response_carries_a_request_id(client):
    response = client.get("/hesap/giris/", HTTP_X_REQUEST_ID="abc123")
    assert response["X-Request-ID"] == "abc123"
    assert len(client.get("/hesap/giris/")["X-Request-ID"]) == 32
