# Importing the fixture into this conftest applies it to this package's tests only.
from tests.password_hashing import fast_password_hashing  # noqa: F401
