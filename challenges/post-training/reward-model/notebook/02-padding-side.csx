// One sequence of 4 tokens whose head outputs are 0, 1, 2, 3, padded to 6 tokens on the right and
// on the left (the pads' outputs are 0). Both rows should read the value at the last real token: 3.
var values = tensor(new double[] { 0, 1, 2, 3, 0, 0,   0, 0, 0, 1, 2, 3 }, new long[] { 2, 6 });
var mask = tensor(new long[] { 1, 1, 1, 1, 0, 0,   0, 0, 1, 1, 1, 1 }, new long[] { 2, 6 });
Show(RewardModel.LastTokenRewards(values, mask), "rewards: right-padded, left-padded");
