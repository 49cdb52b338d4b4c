train_cfg = {'by_epoch': True, 'max_epochs': 4}
param_scheduler = [{'type': 'LinearLR', 'start_factor': 0.1, 'by_epoch': False, 'begin': 0, 'end': 4}, {'type': 'MultiStepLR', 'milestones': [2, 3], 'gamma': 0.5, 'by_epoch': True}]
optim_wrapper = {'optimizer': {'type': 'SGD', 'lr': 0.1, 'momentum': 0.9}}
