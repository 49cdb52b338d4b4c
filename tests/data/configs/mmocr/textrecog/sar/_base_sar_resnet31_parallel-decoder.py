# A SAR text recognizer in mmocr's shape (lrcli test data): its dictionary sits beside the
# configs, found through {{ fileDirname }}.
dictionary = dict(
    type='Dictionary',
    dict_file='{{ fileDirname }}/../../dicts/english_digits_symbols.txt',
    with_start=True,
    with_end=True,
    same_start_end=True,
    with_padding=True,
    with_unknown=True)

model = dict(
    type='SARNet',
    data_preprocessor=dict(type='TextRecogDataPreprocessor', mean=[127, 127, 127], std=[127, 127, 127]),
    backbone=dict(type='ResNet31OCR'),
    encoder=dict(type='SAREncoder', enc_bi_rnn=False, enc_do_rnn=0.1, enc_gru=False),
    decoder=dict(type='ParallelSARDecoder', enc_bi_rnn=False, dec_bi_rnn=False, dec_do_rnn=0,
                 dec_gru=False, pred_dropout=0.1, d_k=512, pred_concat=True, postprocessor=dict(type='AttentionPostprocessor'),
                 module_loss=dict(type='CEModuleLoss', ignore_first_char=True, reduction='mean'),
                 dictionary=dictionary, max_seq_len=30))

train_pipeline = [
    dict(type='LoadImageFromFile', ignore_empty=True, min_size=2),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(type='RescaleToHeight', height=48, min_width=48, max_width=160, width_divisor=4),
    dict(type='PadToWidth', width=160),
    dict(type='PackTextRecogInputs', meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio'))
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RescaleToHeight', height=48, min_width=48, max_width=160, width_divisor=4),
    dict(type='PadToWidth', width=160),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(type='PackTextRecogInputs', meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio'))
]
