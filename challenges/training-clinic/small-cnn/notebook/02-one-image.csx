// Score the first image alone, then inside a batch of 4 and of 32. A classifier scores each image on
// its own: the three rows of logits should be identical.
Tensor alone, inBatchOf4, inBatchOf32;
using (no_grad())
{
    alone = model.forward(images.narrow(0, 0, 1));
    inBatchOf4 = model.forward(images.narrow(0, 0, 4)).narrow(0, 0, 1);
    inBatchOf32 = model.forward(images.narrow(0, 0, 32)).narrow(0, 0, 1);
}
Show(cat(new[] { alone, inBatchOf4, inBatchOf32 }, 0), "logits of image 0: alone, in a batch of 4, in a batch of 32");
Console.WriteLine($"largest difference: {Math.Max((alone - inBatchOf4).abs().max().item<float>(), (alone - inBatchOf32).abs().max().item<float>()):G4}");
