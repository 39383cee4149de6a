# Statement-aware Shift+Enter: put the cursor on a `def` (or `for`, `if`, a decorator, a call over several lines)
# and press Shift+Enter. The whole statement runs, not just its first line, and the cursor moves on to the next
# statement, skipping blank lines and comments.
