// One step of the cell from h = c = 0 on a batch of two inputs: print the gates' effect on the
// state. With c = 0 before the step, c afterwards is i * g, which can be negative as well as
// positive, and |h| < 1.
var (h1, c1) = cell.Step(tensor(new float[] { 1.0f, -1.0f }, new long[] { 2, 1 }), zeros(2, 8), zeros(2, 8));
Show(c1, "c after one step");
Show(h1, "h after one step");
