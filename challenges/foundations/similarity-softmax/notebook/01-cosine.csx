// Cosine similarities of four embeddings (D = 3) with themselves. The diagonal should be exactly 1
// (every vector points its own way), and scaling an embedding (row 3 is 100 x row 0) changes
// nothing: row 3 should equal row 0.
using System;
using TorchSharp;
using static TorchSharp.torch;

var docs = tensor(new double[] { 1, 2, 2,  0, 3, 4,  -1, 0, 1,  100, 200, 200 }, new long[] { 4, 3 }, dtype: float64);
Show(Similarity.CosineMatrix(docs, docs), "CosineMatrix(docs, docs)");
