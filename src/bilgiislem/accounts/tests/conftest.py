import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_code(device: TOTPDevice, steps: int = 0) -> str:
    """The code the person's phone shows now (or ``steps`` periods later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def device_for():
    def _make(person, confirmed=True):
        return TOTPDevice.objects.create(user=person, name="TOTP", confirmed=confirmed)

    return _make
