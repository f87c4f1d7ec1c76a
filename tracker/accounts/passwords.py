"""Argon2id password hashing (argon2-cffi's defaults are Argon2id)."""

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10
# Stored instead of a hash for accounts that sign in only with Microsoft: matches no password.
NO_PASSWORD_HASH = "!sso"


def configure_hasher(time_cost: int, memory_cost_kib: int) -> None:
    """Set the Argon2id cost; hashes made with other costs are upgraded at the next log-in."""
    global _hasher
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost_kib)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def is_usable_hash(password_hash: str) -> bool:
    """Whether a password can match this stored value (not the single sign-on marker)."""
    return bool(password_hash) and password_hash != NO_PASSWORD_HASH


def needs_rehash(password_hash: str) -> bool:
    """True for hashes made with older parameters or another algorithm."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def generate_password() -> str:
    """A one-time password for a new account, readable enough to type."""
    return secrets.token_urlsafe(12)
