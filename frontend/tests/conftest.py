import pytest
from django.test import Client


@pytest.fixture
def client():
    """A browser that asks for English: assertions read the English msgids,
    which stay put when the French translations are written or reworded."""
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def french_client():
    """A browser that states no preference: the site's default, French."""
    return Client()
