"""Users, roles and device tokens: who may do what, enforced by the faces through `allowed`."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from warehouse import audit
from warehouse.errors import N_, not_found, refused
from warehouse.models import Device, DeviceToken, User
from warehouse.models.base import utcnow

ROLES = ("admin", "archivist", "warehouse", "patrol", "auditor")

# What each role may do. "view" is read-only access to the register and the stores;
# "view_places" is the stores and the overview only (what a patrol sees; every role has it);
# "restricted" lets a role read titles of files whose access regime is restricted;
# "stocktake" opens, recounts and closes stock-takes (seeing them needs "view");
# "handover" imports handover lists and reconciles them against the shelves (seeing them needs "view");
# "labels" prints box and location labels (sheets, thermal and RFID printers) and gives boxes EPCs.
# "move" orders boxes re-shelved (and completes or cancels orders); "transfer" plans, dispatches and
# receives transfers between stores; "checkout" lends boxes to the reading room or an office;
# "dispose" records disposal decisions (tiêu hủy) that destroy files past their retention.
PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({"view", "view_places", "restricted", "manage_users", "manage_devices",
                        "manage_locations", "manage_register", "import", "rebox", "scan", "audit",
                        "stocktake", "handover", "labels", "move", "transfer", "checkout", "dispose", "alerts"}),
    "archivist": frozenset({"view", "view_places", "restricted", "manage_register", "import", "rebox",
                            "scan", "manage_locations", "stocktake", "handover", "labels", "move", "transfer",
                            "checkout", "dispose", "alerts"}),
    "warehouse": frozenset({"view", "view_places", "scan", "manage_devices", "stocktake", "labels", "move",
                           "alerts"}),
    "patrol": frozenset({"view_places", "scan", "alerts"}),
    "auditor": frozenset({"view", "view_places", "restricted", "audit"}),
}
FIRST_ADMIN = "admin"

_hasher = PasswordHasher()


def allowed(role: str | None, permission: str) -> bool:
    """Whether a role has a permission (only what PERMISSIONS lists: nothing is implied)."""
    return permission in PERMISSIONS.get(role or "", frozenset())


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise refused(N_("unknown role \"%(role)s\": one of %(roles)s"), role=role, roles=", ".join(ROLES))


def _check_password(password: str) -> None:
    if len(password) < 8:
        raise refused(N_("a password needs at least 8 characters"))


def create_user(session: Session, name: str, role: str, password: str, actor: str = "system",
                full_name: str = "") -> User:
    _check_role(role)
    _check_password(password)
    name = name.strip()
    if not name:
        raise refused(N_("a user needs a name"))
    if session.scalar(select(User.id).where(User.name == name)):
        raise refused(N_("user \"%(name)s\" exists already"), name=name)
    user = User(name=name, role=role, full_name=full_name, password_hash=_hasher.hash(password))
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.create", f"user:{name}", role=role)
    return user


def get_user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise not_found(N_("no user \"%(name)s\""), name=name)
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
    if ok and user is not None and not user.active:
        audit.record(session, name, "login.refused", f"user:{name}", reason="account disabled")
        return None
    audit.record(session, name, "login" if ok else "login.failed", f"user:{name}")
    if ok and user is not None and _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user if ok else None


def update_user(session: Session, name: str, actor: str, *, role: str | None = None,
                active: bool | None = None, password: str | None = None,
                full_name: str | None = None) -> User:
    user = get_user(session, name)
    changes: dict[str, object] = {}
    if role is not None and role != user.role:
        _check_role(role)
        _keep_an_admin(session, user,
                       N_("cannot change the role of \"%(name)s\": the last active administrator"))
        changes["role"] = [user.role, role]
        user.role = role
    if active is not None and active != user.active:
        if not active:
            if name == actor:
                raise refused(N_("\"%(name)s\" cannot disable their own account"), name=name)
            _keep_an_admin(session, user, N_("cannot disable \"%(name)s\": the last active administrator"))
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


def _keep_an_admin(session: Session, user: User, msgid: str) -> None:
    """Refuse a change that would leave no active administrator (nobody could manage users)."""
    if user.role != "admin" or not user.active:
        return
    others = session.scalar(select(func.count()).select_from(User).where(
        User.role == "admin", User.active.is_(True), User.id != user.id))
    if not others:
        raise refused(msgid, name=user.name)


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


def new_password() -> str:
    """A random password for a new or reset account, shown once to whoever asked for it."""
    return secrets.token_urlsafe(12)


def reset_password(session: Session, name: str, actor: str, password: str = "") -> str:
    """Set a new password (a random one when none is given); returns it to show once."""
    password = password or new_password()
    update_user(session, name, actor, password=password)
    return password


def first_admin(session: Session) -> str | None:
    """On a database without users, create `admin` with a random password and return it."""
    if session.scalar(select(func.count()).select_from(User)):
        return None
    password = new_password()
    create_user(session, FIRST_ADMIN, "admin", password, actor="system", full_name="")
    return password


def device(session: Session, name: str, actor: str = "system") -> Device:
    """The device of that name, registered (and audited) the first time it is named."""
    name = name.strip()
    if not name:
        raise refused(N_("a device needs a name"))
    found = session.scalar(select(Device).where(Device.name == name))
    if found is None:
        found = Device(name=name)
        session.add(found)
        session.flush()
        audit.record(session, actor, "device.register", f"device:{name}")
    return found


def create_device(session: Session, name: str, actor: str, description: str = "",
                  owner: str = "") -> Device:
    """Register a new device by hand (a name already taken is refused)."""
    if session.scalar(select(Device.id).where(Device.name == name.strip())):
        raise refused(N_("device \"%(name)s\" exists already"), name=name.strip())
    dev = device(session, name, actor)
    return update_device(session, dev.name, actor, description=description, owner=owner)


def update_device(session: Session, name: str, actor: str, *, description: str | None = None,
                  owner: str | None = None) -> Device:
    """Change a device's description or owner (`owner=""` clears it); audited."""
    dev = session.scalar(select(Device).where(Device.name == name))
    if dev is None:
        raise not_found(N_("no device \"%(name)s\""), name=name)
    changes: dict[str, object] = {}
    if description is not None and description.strip() != dev.description:
        changes["description"] = [dev.description, description.strip()]
        dev.description = description.strip()
    if owner is not None:
        owner_id = get_user(session, owner.strip()).id if owner.strip() else None
        if owner_id != dev.owner_id:
            before = session.get(User, dev.owner_id) if dev.owner_id else None
            changes["owner"] = [before.name if before else None, owner.strip() or None]
            dev.owner_id = owner_id
    if changes:
        audit.record(session, actor, "device.update", f"device:{dev.name}", **changes)
    return dev


def list_devices(session: Session) -> list[Device]:
    """Every device with its tokens, by name."""
    query = (select(Device).options(selectinload(Device.tokens)).order_by(Device.name)
             .execution_options(populate_existing=True))
    return list(session.scalars(query))


def list_tokens(session: Session, device_name: str | None = None) -> list[tuple[DeviceToken, str]]:
    """(token, device name) pairs, newest first; one device's when named."""
    query = (select(DeviceToken, Device.name).join(Device)
             .order_by(DeviceToken.created_at.desc(), DeviceToken.id.desc()))
    if device_name is not None:
        query = query.where(Device.name == device_name)
    return [(tok, name) for tok, name in session.execute(query)]


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
        raise not_found(N_("no token %(id)s"), id=token_id)
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
