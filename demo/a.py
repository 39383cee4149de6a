# Kernel Islands demo: this file has its own kernel.
# Put the cursor on a line and press Shift+Enter: the line runs in *this file's* kernel
# and the result shows in the panel beside the editor.
x = 1
print(x)

import os
print("working directory:", os.getcwd())
print("__file__:", __file__)
