# Kernel Islands demo: a second file with a second, separate kernel.
# Run these lines after running a.py: x here stays 2, whatever a.py did.
x = 2
print("b.py sees x =", x)

for i in range(3):
    print("line", i)

1 / 0  # errors show their traceback in the results panel
