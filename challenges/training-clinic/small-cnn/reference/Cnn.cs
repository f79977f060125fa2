using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

/// <summary>
/// The part classifier: images (B, H, W, C), channels last as the loader gives them, are put
/// channels first, then a 'same' convolution (Kernel x Kernel, stride 1, zero padding Kernel / 2),
/// ReLU, 2x2 max pooling with stride 2, a flatten per image and a Linear layer to the logits.
/// </summary>
public sealed class SmallCnn : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly Linear fc;

    public SmallCnn(int channels, int height, int width, int filters, int kernel, int classes) : base(nameof(SmallCnn))
    {
        if (channels <= 0 || filters <= 0 || classes <= 0 || kernel <= 0 || kernel % 2 == 0)
            throw new ArgumentException("channels, filters and classes must be positive, and kernel positive and odd.");
        if (height < 2 || width < 2 || height % 2 != 0 || width % 2 != 0)
            throw new ArgumentException("height and width must be even and at least 2.");

        conv = nn.Conv2d(channels, filters, kernel, padding: kernel / 2);
        fc = nn.Linear(FeatureCount(filters, height, width), classes);
        RegisterComponents();
    }

    /// <summary>The features per image after pooling: filters x (height / 2) x (width / 2).</summary>
    public static int FeatureCount(int filters, int height, int width) => filters * (height / 2) * (width / 2);

    /// <summary>2x2 max pooling with stride 2 of x (B, F, H, W), H and W even: (B, F, H / 2, W / 2).</summary>
    public static Tensor MaxPool2x2(Tensor x)
    {
        long B = x.shape[0], F = x.shape[1], H = x.shape[2], W = x.shape[3];
        // split each spatial axis into (blocks, 2) and take the max over every 2x2 block
        return x.reshape(B, F, H / 2, 2, W / 2, 2).amax(new long[] { 3, 5 });
    }

    /// <summary>The pooled feature maps (B, filters, H / 2, W / 2) of images (B, H, W, C).</summary>
    public Tensor Features(Tensor images)
    {
        var x = images.permute(0, 3, 1, 2);                          // (B, H, W, C) -> (B, C, H, W)
        return MaxPool2x2(nn.functional.relu(conv.forward(x)));
    }

    /// <summary>The logits (B, classes) of images (B, H, W, C).</summary>
    public override Tensor forward(Tensor images)
    {
        var pooled = Features(images);
        long B = pooled.shape[0];
        var flat = pooled.reshape(B, -1);                             // one row of filters * H/2 * W/2 features per image
        return fc.forward(flat);
    }
}
