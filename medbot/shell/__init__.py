"""The shell's edges: settings, logs, the Telegram Bot API, the control socket, systemd."""
