DROP TABLE gateway_instance;
