"""Who may do what: the role table the faces enforce."""

import pytest

from warehouse.accounts import PERMISSIONS, ROLES, allowed, new_password


def test_every_role_has_a_permission_set_and_nothing_else_does():
    assert set(PERMISSIONS) == set(ROLES)


@pytest.mark.parametrize(("permission", "roles"), [
    ("manage_users", {"admin"}),
    ("audit", {"admin", "auditor"}),
    ("manage_devices", {"admin", "warehouse"}),
    ("restricted", {"admin", "archivist", "auditor"}),
    ("view", {"admin", "archivist", "warehouse", "auditor"}),
    ("view_places", set(ROLES)),
    ("scan", {"admin", "archivist", "warehouse", "patrol"}),
    ("import", {"admin", "archivist"}),
])
def test_a_permission_belongs_to_exactly_these_roles(permission, roles):
    assert {role for role in ROLES if allowed(role, permission)} == roles


def test_nobody_and_unknown_roles_may_do_nothing():
    assert not allowed(None, "view_places")
    assert not allowed("", "view_places")
    assert not allowed("superuser", "manage_users")


def test_an_auditor_reads_but_changes_nothing():
    writes = {"manage_users", "manage_devices", "manage_locations", "manage_register", "import",
              "rebox", "scan"}
    assert not PERMISSIONS["auditor"] & writes


def test_generated_passwords_are_long_enough_and_differ():
    passwords = {new_password() for _ in range(20)}
    assert len(passwords) == 20 and min(map(len, passwords)) >= 12
