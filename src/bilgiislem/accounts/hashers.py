from django.contrib.auth.hashers import Argon2PasswordHasher


class TunedArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id sized for a small server (2 cores): 32 MiB, 2 passes, 2 lanes.

    Django's defaults (100 MiB, 2 lanes, 8 threads is not used) take ~0.1-0.2 s here; this keeps
    a login near 50 ms while staying within OWASP's minimum for Argon2id (19 MiB, t=2).
    Changing the numbers re-hashes passwords at the next login (``must_update``).
    """

    algorithm = "argon2"
    time_cost = 2
    memory_cost = 32768
    parallelism = 2
