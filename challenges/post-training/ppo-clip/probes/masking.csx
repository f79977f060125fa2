// Masking, float64, clipEps = 0.2, B = 3, T = 8:
//  - changing logProbs, oldLogProbs and advantages at mask-0 positions leaves the loss unchanged
//    (loss vs loss_outside_changed);
//  - padding the batch with 5 more columns of mask 0 leaves the loss unchanged (loss vs loss_padded);
//  - a batch of one response equals the same response inside a batch of three whose other rows
//    repeat it (loss_single vs loss_repeated).
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
using (torch.no_grad())
{
    const int B = 3, T = 8;
    var mask = torch.tensor(new double[] { 0, 0, 1, 1, 1, 1, 1, 0,  0, 1, 1, 1, 0, 0, 0, 0,  0, 0, 0, 1, 1, 1, 1, 1 }, dtype: torch.float64).reshape(B, T);
    var old = -(torch.rand(new long[] { B, T }, dtype: torch.float64) * 3.0);
    var logp = old + (torch.rand(new long[] { B, T }, dtype: torch.float64) - 0.5) * 0.8;
    var advantages = torch.randn(new long[] { B, T }, dtype: torch.float64);
    var loss = Ppo.ClipLoss(logp, old, advantages, mask, 0.2);
    Observe("loss", loss);

    Tensor Outside(Tensor x) => x + (1.0 - mask) * torch.randn(new long[] { B, T }, dtype: torch.float64) * 3.0;
    Observe("loss_outside_changed", Ppo.ClipLoss(Outside(logp), Outside(old), Outside(advantages), mask, 0.2));

    Tensor Pad(Tensor x) => torch.cat(new[] { x, torch.randn(new long[] { B, 5 }, dtype: torch.float64) * 0.1 - 1.0 }, 1);
    var paddedMask = torch.cat(new[] { mask, torch.zeros(new long[] { B, 5 }, dtype: torch.float64) }, 1);
    Observe("loss_padded", Ppo.ClipLoss(Pad(logp), Pad(old), Pad(advantages), paddedMask, 0.2));

    Tensor Row(Tensor x) => x.narrow(0, 0, 1);
    Tensor Repeat(Tensor x) => Row(x).expand(3, T).contiguous();
    Observe("loss_single", Ppo.ClipLoss(Row(logp), Row(old), Row(advantages), Row(mask), 0.2));
    Observe("loss_repeated", Ppo.ClipLoss(Repeat(logp), Repeat(old), Repeat(advantages), Repeat(mask), 0.2));
}
