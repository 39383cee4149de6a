# Kernel Islands demo: cells. Ctrl+Enter runs the cell under the cursor, Shift+Enter runs it and moves on;
# the lenses above each "# %%" run a cell, the cells above it, or it and the cells below.

# %% Set up
total = 0

# %% Add ten (run it twice, then "Run Above" on the next cell starts over)
total += 10
total

# %% Show
print(f"total is {total}")

# %% A mistake: click a traceback line in the results panel to jump here
def broken():
    return undefined_name


broken()

# %% Ask: input() opens an input box
name = input("Your name? ")
print(f"hello {name}")

# %% Forever: interrupt it from the status bar (click the kernel, then Interrupt Kernel)
import time

while True:
    time.sleep(0.1)

# %% The end
"done"
