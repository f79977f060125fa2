// The learning rate of each step of a 300-step run: a warm-up, then a decay to the minimum.
var schedule = new TrainConfig();
for (int step = 0; step < schedule.Steps; step++)
    Plot("learning rate", step, Trainer.LearningRate(step, schedule));
