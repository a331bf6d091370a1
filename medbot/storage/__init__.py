"""Durable storage of users' state: the I/O layer under the PersistenceActor (no actors here).

- `files`: atomic durable writes, private modes, quarantine, the directory lock.
- `durable`: `DurableJSONStorage`, the TinyDB storage built on them.
- `migrations`: upgrading old user records as they are read.
- `wake`: the sharded wake index (every user's next wake-up without loading users).
- `archive`: each person's append-only file of old intakes.
- `users`: `UserStore`, the layout and the group commit; `read_user` and `read_archive` for
  other processes.
"""

from medbot.storage.archive import CorruptArchive, archive_path
from medbot.storage.durable import CorruptFile, DurableJSONStorage
from medbot.storage.files import StoreError, StoreLocked
from medbot.storage.meta import STORE_FORMAT
from medbot.storage.migrations import USER_MIGRATIONS, MigrationError, Migrations
from medbot.storage.users import (
    Change,
    CommitReport,
    UnreadableUser,
    UserStore,
    read_archive,
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
    "CorruptArchive",
    "CorruptFile",
    "DurableJSONStorage",
    "MigrationError",
    "Migrations",
    "StoreError",
    "StoreLocked",
    "UnreadableUser",
    "UserStore",
    "archive_path",
    "lowered",
    "read_archive",
    "read_user",
    "user_path",
]
