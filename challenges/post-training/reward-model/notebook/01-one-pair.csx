// One pair whose chosen response scores 3 and rejected response 0, then the same pair swapped,
// then with a margin of 1. A healthy Bradley-Terry loss is small for the right order (about
// 0.049), large for the wrong one (about 3.049), and grows when a margin is demanded (about 0.127).
using System;
using TorchSharp;
using static TorchSharp.torch;

var three = tensor(new double[] { 3.0 });
var zero = tensor(new double[] { 0.0 });
Console.WriteLine($"chosen 3, rejected 0:            {RewardModel.PairwiseLoss(three, zero, zero).item<double>():F4}");
Console.WriteLine($"chosen 0, rejected 3:            {RewardModel.PairwiseLoss(zero, three, zero).item<double>():F4}");
Console.WriteLine($"chosen 3, rejected 0, margin 1:  {RewardModel.PairwiseLoss(three, zero, tensor(new double[] { 1.0 })).item<double>():F4}");
