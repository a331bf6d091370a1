"""medbot: a Telegram bot that keeps medication schedules and reminds people of every dose."""

__version__ = "0.1.0"
