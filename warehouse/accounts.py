"""Users, roles and device tokens: who may do what, enforced by the faces through `allowed`."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from warehouse import audit
from warehouse.errors import NotFound, Refused
from warehouse.models import Device, DeviceToken, User
from warehouse.models.base import utcnow

ROLES = ("admin", "archivist", "warehouse", "patrol", "auditor")

# What each role may do. "view" is read-only access to the register and the stores;
# "restricted" lets a role read titles of files whose access regime is restricted.
PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({"view", "restricted", "manage_users", "manage_devices", "manage_locations",
                        "manage_register", "import", "rebox", "scan", "audit"}),
    "archivist": frozenset({"view", "restricted", "manage_register", "import", "rebox", "scan",
                            "manage_locations"}),
    "warehouse": frozenset({"view", "scan", "manage_devices"}),
    "patrol": frozenset({"view_places", "scan"}),
    "auditor": frozenset({"view", "restricted", "audit"}),
}

_hasher = PasswordHasher()


def allowed(role: str | None, permission: str) -> bool:
    """Whether a role has a permission ("view" is implied by nothing else)."""
    return permission in PERMISSIONS.get(role or "", frozenset())


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise Refused(f"unknown role {role!r}: one of {', '.join(ROLES)}")


def _check_password(password: str) -> None:
    if len(password) < 8:
        raise Refused("a password needs at least 8 characters")


def create_user(session: Session, name: str, role: str, password: str, actor: str = "system",
                full_name: str = "") -> User:
    _check_role(role)
    _check_password(password)
    name = name.strip()
    if not name:
        raise Refused("a user needs a name")
    if session.scalar(select(User.id).where(User.name == name)):
        raise Refused(f"user {name!r} exists already")
    user = User(name=name, role=role, full_name=full_name, password_hash=_hasher.hash(password))
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.create", f"user:{name}", role=role)
    return user


def get_user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFound(f"no user {name!r}")
    return user


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The active user with this name and password, else None; every attempt is audited."""
    user = session.scalar(select(User).where(User.name == name.strip()))
    ok = False
    if user is not None:
        try:
            ok = _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            ok = False
    if ok and not user.active:
        audit.record(session, name, "login.refused", f"user:{name}", reason="account disabled")
        return None
    audit.record(session, name, "login" if ok else "login.failed", f"user:{name}")
    if ok and _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user if ok else None


def update_user(session: Session, name: str, actor: str, *, role: str | None = None,
                active: bool | None = None, password: str | None = None,
                full_name: str | None = None) -> User:
    user = get_user(session, name)
    changes: dict[str, object] = {}
    if role is not None and role != user.role:
        _check_role(role)
        changes["role"] = [user.role, role]
        user.role = role
    if active is not None and active != user.active:
        changes["active"] = [user.active, active]
        user.active = active
    if full_name is not None and full_name != user.full_name:
        changes["full_name"] = [user.full_name, full_name]
        user.full_name = full_name
    if password:
        _check_password(password)
        user.password_hash = _hasher.hash(password)
        changes["password"] = "changed"
    if changes:
        audit.record(session, actor, "user.update", f"user:{name}", **changes)
    return user


def device(session: Session, name: str, actor: str = "system") -> Device:
    """The device of that name, registered (and audited) the first time it is named."""
    name = name.strip()
    if not name:
        raise Refused("a device needs a name")
    found = session.scalar(select(Device).where(Device.name == name))
    if found is None:
        found = Device(name=name)
        session.add(found)
        session.flush()
        audit.record(session, actor, "device.register", f"device:{name}")
    return found


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, device_name: str, actor: str = "system") -> tuple[DeviceToken, str]:
    """A new token for the device: the plain text is returned once and never stored."""
    dev = device(session, device_name, actor)
    plain = "kho_" + secrets.token_urlsafe(32)
    token = DeviceToken(device_id=dev.id, digest=_digest(plain), hint=plain[:10], created_by=actor)
    session.add(token)
    session.flush()
    audit.record(session, actor, "token.issue", f"device:{dev.name}", token=token.id, hint=token.hint)
    return token, plain


def revoke_token(session: Session, token_id: int, actor: str) -> DeviceToken:
    token = session.get(DeviceToken, token_id)
    if token is None:
        raise NotFound(f"no token {token_id}")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(session, actor, "token.revoke", f"device:{token.device.name}", token=token.id)
    return token


def device_for_token(session: Session, plain: str) -> Device | None:
    """The device a live token belongs to; None for unknown or revoked tokens."""
    token = session.scalar(select(DeviceToken).where(DeviceToken.digest == _digest(plain)))
    if token is None or token.revoked_at is not None:
        return None
    owner = session.get(User, token.device.owner_id) if token.device.owner_id else None
    if owner is not None and not owner.active:
        return None  # a disabled account's devices stop with it
    return token.device
