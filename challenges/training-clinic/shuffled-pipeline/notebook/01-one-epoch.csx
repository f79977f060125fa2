// One epoch of the pipeline on 150 training readings, batch size 32. Count the batches and the
// examples they hold, and look at the first rows of the first batch next to their labels.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

var centres = tensor(new double[] { -2, 0, 2, 0, 0, 3 }, new long[] { 3, 2 }, dtype: float64);
var scale = tensor(new double[] { 1000, 0.1 }, dtype: float64).unsqueeze(0);
var offset = tensor(new double[] { 5000, 2 }, dtype: float64).unsqueeze(0);
Tensor Readings(Tensor classes) =>
    (centres.index_select(0, classes) + 0.5 * randn(new long[] { classes.shape[0], 2 }, dtype: float64)) * scale + offset;

var trainLabels = arange(150, dtype: int64) % 3;
var trainRaw = Readings(trainLabels);
var testLabels = tensor(new long[] { 2, 2, 2, 2, 2, 2, 0, 2, 2, 2, 2, 2, 2, 2, 2, 0, 2, 2, 2, 2 }, dtype: int64);
var testRaw = Readings(testLabels);   // today's readings: mostly class 2
var (train, test) = Pipeline.Standardise(trainRaw, testRaw);

var epoch = Pipeline.Batches(train, trainLabels, 32, new Generator(1));
Console.WriteLine($"{epoch.Count} batches holding {epoch.Sum(b => b.Labels.shape[0])} of {train.shape[0]} examples");
Show(epoch[0].Inputs.narrow(0, 0, 6), "first batch: standardised readings (rows 0-5)");
Show(epoch[0].Labels.narrow(0, 0, 6), "first batch: labels (rows 0-5)");
