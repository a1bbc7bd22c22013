"""Background work of the assets app, run by the Huey consumer. Each task only calls a
service. Each part of the assets app appends its own tasks below."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


# Monitored devices gone silent open a service-desk request (H-DEVICES).
@db_periodic_task(crontab(minute="*/5"))
def devices_offline_sweep():
    """Every five minutes: a device silent for longer than BILGIISLEM_DEVICE_OFFLINE_MINUTES
    opens one service-desk request per outage."""
    from .services.devices import devices_mark_offline

    return {"opened": len(devices_mark_offline())}


# Warranties, licences, contracts and data lines ending soon (H-DEVICES).
@db_periodic_task(crontab(hour="7", minute="30"))
def expiry_warnings():
    """Every morning: mail the Director and the Chief what ends within
    BILGIISLEM_ASSET_EXPIRY_WARN_DAYS days (İşlerim lists it all day)."""
    from .services.expiry import expiry_notify

    return {"listed": expiry_notify()}
