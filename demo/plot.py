# Kernel Islands demo: plots. Ctrl+Enter runs the cell; the figure appears in the results panel.
# %%
import matplotlib.pyplot as plt

plt.figure(figsize=(4, 3))
plt.plot([0, 1, 2, 3, 4], [0, 1, 4, 9, 16], marker="o")
plt.title("squares")
plt.show()

# %%
"plotted"
