"""Family members without Telegram: profiles inside one person's account.

A profile is a record of its own, a full schedule with its own reminders, history and stats,
under a negative id derived from its owner's. Its actor is an ordinary person's actor, except
that everything it sends goes to the owner's chat, labelled with the profile's name, with its
buttons wrapped so that a press comes back to it (`home`). The owner's step recognises
requests for a profile ("для мамы: добавь эналаприл в 8", "что принимает Петя?") and passes
them on (`routing`). A profile's record accepts requests only from its owner.
"""
