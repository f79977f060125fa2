// The load-balancing loss with alpha = 1. With uniform probabilities it is exactly 1 whatever
// the routing; the Switch Transformer form is minimised (at 1) by a perfectly balanced router.
// Its gradient must reach the router logits: otherwise it cannot balance anything.
var uniform = full(new long[] { 8, 4 }, 0.25, dtype: float64);
Console.WriteLine($"uniform probabilities, top-2 routing: {MoeRouter.LoadBalancingLoss(uniform, experts, 4, 1.0).item<double>():F4}");
var trainable = logits.clone().requires_grad_(true);
var p = MoeRouter.RouterProbabilities(trainable);
var (chosen, _) = MoeRouter.TopK(p, 2);
var aux = MoeRouter.LoadBalancingLoss(p, chosen, 4, 1.0);
Console.WriteLine($"loss on the random router: {aux.item<double>():F4}; requires grad: {aux.requires_grad}");
if (aux.requires_grad)
{
    aux.backward();
    Show(trainable.grad!, "d loss / d logits");
}
