# Kernel Islands demo: R files run in their own R kernel (IRkernel, kernelspec "ir").
x <- c(1, 2, 3)
mean(x) * 7
