// The learning rate of each of the 60 steps above: a linear warm-up over the first 10 steps
// up to 0.1, then a cosine decay towards 0.
for (int step = 0; step < 60; step++)
    Plot("learning rate", step, Trainer.LearningRateAt(config, step, 60));
