from tests.password_hashing import fast_password_hashing  # noqa: F401
