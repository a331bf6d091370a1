"""Durable storage of users' state: the I/O layer under the PersistenceActor (no actors here).

- `files`: atomic durable writes, private modes, quarantine, the directory lock.
- `durable`: `DurableJSONStorage`, the TinyDB storage built on them.
- `migrations`: upgrading old user records as they are read.
- `wake`: the sharded wake index (every user's next wake-up without loading users).
- `users`: `UserStore`, the layout and the group commit; `read_user` for other processes.
"""

from medbot.storage.durable import CorruptFile, DurableJSONStorage
from medbot.storage.files import StoreError, StoreLocked
from medbot.storage.migrations import USER_MIGRATIONS, MigrationError, Migrations
from medbot.storage.users import (
    STORE_FORMAT,
    Change,
    CommitReport,
    UnreadableUser,
    UserStore,
    read_user,
    user_path,
)
from medbot.storage.wake import WAKE_AT_ONCE, lowered

__all__ = [
    "STORE_FORMAT",
    "USER_MIGRATIONS",
    "WAKE_AT_ONCE",
    "Change",
    "CommitReport",
    "CorruptFile",
    "DurableJSONStorage",
    "MigrationError",
    "Migrations",
    "StoreError",
    "StoreLocked",
    "UnreadableUser",
    "UserStore",
    "lowered",
    "read_user",
    "user_path",
]
