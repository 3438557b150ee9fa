"""The same MLP (64→256→256→10, Adam, batch 64) in PyTorch on CPU with one thread: what a user
would otherwise train with. argv: rows, epochs, batch. Prints samples/s as JSON."""
import json, sys, time
import torch

rows, epochs, batch = (int(value) for value in sys.argv[1:4])
torch.set_num_threads(1)
torch.manual_seed(23)
labels = torch.arange(rows) % 10
features = (torch.arange(64).unsqueeze(0) % 10 == labels.unsqueeze(1)).float() + torch.rand(rows, 64) - 0.5
train = int(rows * 0.8)
model = torch.nn.Sequential(torch.nn.Linear(64, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
loss_fn = torch.nn.CrossEntropyLoss()
started = time.perf_counter()
for _ in range(epochs):
    order = torch.randperm(train)
    for start in range(0, train, batch):
        index = order[start:start + batch]
        optimizer.zero_grad()
        loss = loss_fn(model(features[index]), labels[index])
        loss.backward()
        optimizer.step()
seconds = time.perf_counter() - started
print(json.dumps({"samplesPerSecond": train * epochs / seconds, "ms": seconds * 1000}))
