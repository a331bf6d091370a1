"""One person's life in the bot as a pure step: `step(state, event, now) -> (state, effects)`."""
